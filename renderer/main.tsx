// Renderer entry: get the launch token (address bar or desktop bridge) before anything else
// touches the URL or calls the API, then mount.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiRequestError } from './api/client.ts';
import { loadToken } from './api/token.ts';
import { App } from './app.tsx';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Kafka errors (unknown topic, auth) will not fix themselves on retry; network blips might.
      retry: (count, err) => count < 2 && !(err instanceof ApiRequestError && err.status >= 400 && err.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

void loadToken().then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  ),
);
