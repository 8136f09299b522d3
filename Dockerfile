# The platform's single production image: the standalone Next.js server and its static assets,
# run by a non-root user. Build: docker build -t disco-parrot .
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATA_DIR=/data
RUN groupadd --system --gid 1001 parrot \
 && useradd --system --uid 1001 --gid parrot --home-dir /app --shell /usr/sbin/nologin parrot \
 && mkdir -p /data && chown parrot:parrot /data
COPY --from=build --chown=parrot:parrot /app/.next/standalone ./
USER parrot
EXPOSE 3000
# Embedded mode keeps its data here; with COSMOS_ENDPOINT set nothing is written to it.
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/__ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server.js"]
