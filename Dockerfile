# Rahmenkonzept-Monitor: build with the dev dependencies, run on a slim image with production ones only.
# docker build -t rahmenkonzept-monitor . ; the compose.yaml beside it runs two instances behind a proxy.

FROM node:20-bookworm AS build
WORKDIR /app
# better-sqlite3 compiles from source (python3, make and g++ are in this image).
COPY package.json package-lock.json ./
# `npm install` rather than `npm ci`: the lock file cannot list every platform's optional binaries.
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
# Chromium prints the Umsetzungsbericht as PDF; fonts so that its text has glyphs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    METRICS_PORT=9464 \
    LOG_FORMAT=json \
    CHROMIUM_PATH=/usr/bin/chromium \
    REPORTS_DIR=/app/reports
COPY --from=build /app/package.json /app/package.json
COPY --from=build /app/node_modules /app/node_modules
COPY --from=build /app/dist /app/dist
COPY --from=build /app/bin /app/bin
# The built code reads its page templates, assets and worker scripts beside the sources (src/web, src/database).
COPY --from=build /app/src /app/src
COPY data /app/data
# The unprivileged user of the Node image; it may write the SQLite file, the secrets file and the reports.
RUN mkdir -p /app/reports && chown -R node:node /app/data /app/reports
USER node
EXPOSE 3000 9464
# Liveness only (no database): the orchestrator restarts a hung process, not one whose database is away.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop): no new connections, requests in flight answered, database closed, exit 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
