// Renderer entry: finds the bridge (the preload's in Electron, HTTP + SSE in a browser), creates
// the store and mounts the app. Imports only shared/ and renderer/ files.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App, ConnectionProblem } from './App.js';
import { connectBridge } from './bridge/connect.js';
import { createTrayStore } from './store/store.js';
import './styles.css';

// zod probes for eval() to compile validators; the page's CSP forbids it (and reports the probe)
z.config({ jitless: true });

const container = document.getElementById('root');
if (!container) throw new Error('Agent Tray: #root element missing from index.html');

const connection = connectBridge();
createRoot(container).render(
  <StrictMode>{connection.ok ? <App store={createTrayStore({ bridge: connection.bridge })} /> : <ConnectionProblem problem={connection.problem} />}</StrictMode>,
);
