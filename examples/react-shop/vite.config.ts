import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `pnpm dev` (dev.mjs) starts the reference server and hands its URL over in GROUPBUY_SERVER_URL; the dev
// server proxies REST and the STOMP socket to it, so the page talks to its own origin (no CORS to set up).
const target = process.env['GROUPBUY_SERVER_URL'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  // One React for the page and @groupbuy/react (a workspace link whose own node_modules holds test copies).
  resolve: { dedupe: ['react', 'react-dom'] },
  server: {
    proxy: {
      '/api': { target, changeOrigin: true },
      '/ws': { target, ws: true, changeOrigin: true },
    },
  },
});
