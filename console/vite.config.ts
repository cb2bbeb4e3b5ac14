import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Served by the gateway at /console/ (same origin as /graphql); `npm run dev` proxies the gateway on :4000.
export default defineConfig({
  base: "/console/",
  plugins: [react()],
  build: { manifest: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  server: {
    port: 5173,
    proxy: { "/graphql": "http://127.0.0.1:4000", "/console/config.json": "http://127.0.0.1:4000" },
  },
});
