import type { Config } from '@react-router/dev/config';

// The React Router app lives in src/web; Fastify (src/server) owns the HTTP server
// and calls the built request handler, so the app builds into ./build.
export default {
  appDirectory: 'src/web',
  buildDirectory: 'build',
  ssr: true,
} satisfies Config;
