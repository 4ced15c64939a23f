// Vitest runs the renderer's tests (test/renderer): the store, its selectors, the bridges, and
// components with Testing Library. Files that need a DOM say so with `// @vitest-environment jsdom`.
// The HTTP bridge's test runs the real host in-process, which spawns agents: forks, not threads.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/renderer/**/*.test.{ts,tsx}'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { AGENT_TRAY_TEST: '1' },
  },
});
