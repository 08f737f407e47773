import path from 'node:path';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';

/**
 * Vite config for `<appDir>/tab`: served by the app server at /tab/, built into `<appDir>/dist/tab`.
 * `TAB_API_URL` (e.g. http://127.0.0.1:3978) proxies /api to a running app server under `vite dev`.
 */
export function tabViteConfig(appDir: string): UserConfig {
  const apiUrl = process.env.TAB_API_URL;
  return {
    root: path.join(appDir, 'tab'),
    base: '/tab/',
    publicDir: false,
    plugins: [react()],
    build: {
      outDir: path.join(appDir, 'dist', 'tab'),
      emptyOutDir: true,
      target: 'es2022',
      // Fluent UI is most of the bundle; split it so app code changes don't invalidate it
      chunkSizeWarningLimit: 1200,
      rollupOptions: {
        output: {
          manualChunks(id) {
            if (!id.includes('node_modules')) return undefined;
            if (id.includes('@microsoft/teams-js')) return 'teams-js';
            if (id.includes('@fluentui') || id.includes('@griffel') || id.includes('tabster') || id.includes('keyborg')) return 'fluent';
            if (/node_modules\/(react|react-dom|scheduler|i18next|react-i18next)\//.test(id)) return 'react';
            return 'vendor';
          },
        },
      },
    },
    server: apiUrl ? { proxy: { '/api': apiUrl } } : undefined,
  };
}
