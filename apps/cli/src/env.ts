// The terminal client's configuration, read once from the environment.

export const env = {
  /** The API to talk to; by default the one `npm start` runs on this machine. */
  apiUrl: process.env.HEADWAY_API_URL || `http://127.0.0.1:${process.env.PORT || 3000}`,
  /** Sent as `Authorization: Bearer …` when the API was started with API_TOKEN. */
  token: process.env.HEADWAY_API_TOKEN || undefined,
  /** https://no-color.org: any non-empty value turns colour off. */
  noColor: Boolean(process.env.NO_COLOR),
  /** Where relative paths start: `npm run headway` runs in the repository, so the caller's own directory. */
  cwd: (process.env.npm_lifecycle_event === 'headway' && process.env.INIT_CWD) || process.cwd(),
};
