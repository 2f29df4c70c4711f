import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import './index.css';
import { App } from './app.tsx';
import { loadHighlighter } from './features/chat/highlighter.ts';
import { sessionKey } from './features/auth/session.ts';
import { setUnauthorizedHandler } from './lib/api.ts';
import { queryClient } from './lib/query-client.ts';

// Off the critical path: the first paint of a chat must not wait on grammars; code shows
// plain until the highlighter is in, then once highlighted.
const whenIdle = window.requestIdleCallback ?? ((f: () => void) => setTimeout(f, 200));
whenIdle(() => loadHighlighter(), { timeout: 1500 });
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
