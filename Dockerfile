# syntax=docker/dockerfile:1
# boocode in a container: `docker compose up -d` (compose.yaml, with PostgreSQL 16), or
#   docker build -t boocode:local . && docker run -p 127.0.0.1:9500:9500 -v boocode-home:/data boocode:local
# The URL with the token is in `docker logs`; the token stays in the /data volume.
#
# NODE_IMAGE is a build argument only so that deploy/try-image.sh can build this very file on a
# machine that cannot pull images (a base made with debootstrap); leave it as it is.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: every dependency, the web app and the service bundles, then production deps only
FROM ${NODE_IMAGE} AS build
# node-pty is compiled from source (it ships no Linux binary).
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# Against this Node's own headers: nothing is fetched from nodejs.org. CI=true lets pnpm
# replace node_modules without asking.
ENV npm_config_nodedir=/usr/local CI=true
# The version in package.json's packageManager.
RUN npm install -g pnpm@10.34.9
WORKDIR /src
# The store first, from the lockfile alone: a change to the sources does not fetch again.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline && pnpm build
# Production dependencies only, in the same layout: the bundles import npm packages by their
# path under node_modules/.pnpm, which the locked versions keep (a `pnpm deploy` folder would
# not). The test and bench packages and the web app's sources go (its dist/ stays), then
# node_modules is made again from the store without devDependencies.
RUN rm -rf node_modules apps/*/node_modules packages/*/node_modules e2e bench \
    packages/testkit packages/ui \
  && find apps/web -mindepth 1 -maxdepth 1 ! -name dist -exec rm -rf {} + \
  && pnpm install --frozen-lockfile --offline --prod

# ---- runtime
FROM ${NODE_IMAGE}
# What the product runs: git (projects, agents' worktrees), ripgrep (the search tool), tmux
# (terminals), ssh (terminals on SSH hosts), tini (signals, zombies).
RUN apt-get update \
  && apt-get install -y --no-install-recommends \
    ca-certificates git openssh-client ripgrep tini tmux \
  && rm -rf /var/lib/apt/lists/*
# The image's uid 1000 (`node`) renamed: files written into mounted projects belong to the
# first user of most machines.
RUN usermod -l boocode -d /home/boocode -m node \
  && groupmod -n boocode node \
  && mkdir -p /data \
  && chown boocode:boocode /data
# Owned by root: the app cannot change its own code.
COPY --from=build /src /app
RUN ln -s /app/apps/cli/bin/boocode.mjs /usr/local/bin/boocode
ENV HOST=0.0.0.0 \
    PORT=9500 \
    BOOCODE_HOME=/data
VOLUME /data
USER boocode
WORKDIR /app/apps/server
EXPOSE 9500
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["tini", "--"]
# The built server bundle, as scripts/start.mjs runs it after its checks: nothing is installed
# or built at run time. The server migrates the database, then prints the URL.
CMD ["node", "--enable-source-maps", "dist/main.js"]
