import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import './index.css';
import { App } from './app.tsx';
import { sessionKey } from './features/auth/session.ts';
import { prepareHighlighter } from './features/chat/highlighter.ts';
import { setUnauthorizedHandler } from './lib/api.ts';
import { queryClient } from './lib/query-client.ts';

// Off the critical path: the worker that colours code starts once the page is idle.
const whenIdle = window.requestIdleCallback ?? ((f: () => void) => setTimeout(f, 200));
whenIdle(() => prepareHighlighter(), { timeout: 1500 });
// A 401 from any call means the cookie is gone: show the sign-in page rather than errors.
setUnauthorizedHandler(() => queryClient.setQueryData(sessionKey, null));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
