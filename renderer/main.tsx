// Renderer entry: finds the bridge (the preload's in Electron, HTTP + SSE in a browser), creates
// the store and mounts the app. Imports only shared/ and renderer/ files.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App, ConnectionProblem } from './App.js';
import { connectBridge } from './bridge/connect.js';
import { bindRouting } from './store/routing.js';
import { createTrayStore } from './store/store.js';
import './styles.css';

// zod probes for eval() to compile validators; the page's CSP forbids it (and reports the probe)
z.config({ jitless: true });

const container = document.getElementById('root');
if (!container) throw new Error('Agent Tray: #root element missing from index.html');

/** The page's content: the app over a store whose place follows the address, or why there is no host. */
function content() {
  const connection = connectBridge();
  if (!connection.ok) return <ConnectionProblem problem={connection.problem} />;
  const store = createTrayStore({ bridge: connection.bridge });
  // the window's place lives in the address's hash (#/agents/NAME/logs): reload, Back/Forward and links keep it
  bindRouting(store, window);
  return <App store={store} />;
}

createRoot(container).render(<StrictMode>{content()}</StrictMode>);
