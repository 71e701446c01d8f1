import { defineConfig } from 'vite';

// Relative base so the bundle works from the server's static root; every
// dependency is bundled (no CDN), so the dashboard works offline.
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
