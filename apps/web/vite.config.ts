// Builds the dashboard into `dist` (the API serves it); in development, proxies the API,
// its WebSockets and Bull Board to the API on port 3000.
import { defineConfig } from 'vite';

const api = 'http://127.0.0.1:3000';

export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: {
      '/api': api,
      '/ws': { target: 'ws://127.0.0.1:3000', ws: true },
      '/admin': api,
    },
  },
});
