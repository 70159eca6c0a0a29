import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// One renderer build for both shells: Electron (through Forge) and web mode (dist/web).
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { sourcemap: true },
});
