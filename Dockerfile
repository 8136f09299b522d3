# The platform's single production image: the standalone Next.js server and its static assets,
# run by a non-root user. Build: docker build -t disco-parrot .
#
# Managed sandboxes (embedded mode) run inside bubblewrap, which needs unprivileged user
# namespaces and a fresh /proc inside the container. Docker's default seccomp and AppArmor
# profiles and its masked /proc paths forbid both, so run the image with:
#   docker run --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
#     --security-opt systempaths=unconfined -p 3000:3000 -v parrot-data:/data disco-parrot
# (and a host kernel that allows user namespaces: kernel.unprivileged_userns_clone=1). Without
# them the platform still serves everything else; managed launches are refused with this fix.
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
    DATA_DIR=/data \
    NEXT_MANUAL_SIG_HANDLE=true
# bubblewrap draws each managed sandbox's boundary; prlimit (util-linux) sets its limits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap util-linux \
 && rm -rf /var/lib/apt/lists/*
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
