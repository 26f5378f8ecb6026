# One image for the API and the workers; docker-compose.yml picks the command.
FROM oven/bun:1.4.4 AS build
WORKDIR /app
COPY package.json bun.lock bunfig.toml tsconfig.json ./
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/web/package.json apps/web/
COPY packages/progress/package.json packages/progress/
RUN bun install --frozen-lockfile
COPY . .
RUN cd apps/web && bun run build

FROM oven/bun:1.4.4
WORKDIR /app
COPY --from=build /app /app
ENV HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
EXPOSE 3000
CMD ["bun", "apps/api/src/main.ts"]
