// Unit tests for which links the window may hand to the system browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSafeExternalUrl } from '../../../electron/main/external-links.js';

test('web and mail links open outside', () => {
  for (const url of ['https://ollama.com/', 'http://127.0.0.1:11434/api/tags', 'mailto:someone@example.org']) assert.equal(isSafeExternalUrl(url), true, url);
});

test('files, scripts, program launchers and garbage are refused', () => {
  for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'ms-msdt:/id PCWDiagnostic', 'vscode://file/x', 'smb://host/share', 'not a url', '']) assert.equal(isSafeExternalUrl(url), false, url);
});
