# One image for the API and the workers; docker-compose.yml picks the command.
FROM oven/bun:1.4.4 AS build
WORKDIR /app
COPY package.json bun.lock bunfig.toml tsconfig.json ./
# The test S3 server (s3rver, a dev dependency) is patched on install.
COPY patches/ patches/
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/web/package.json apps/web/
COPY apps/cli/package.json apps/cli/
COPY packages/progress/package.json packages/progress/
COPY packages/literature-review/package.json packages/literature-review/
RUN bun install --frozen-lockfile
COPY . .
RUN cd apps/web && bun run build

FROM oven/bun:1.4.4
# The shipped config's python-orchestrator pipeline runs a Python program.
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
ENV HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
EXPOSE 3000
CMD ["bun", "apps/api/src/main.ts"]
