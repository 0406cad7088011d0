// Preloaded into the app under benchmark: exit on SIGTERM at once, so that the database pool
// does not keep the process alive and `--cpu-prof` writes its profile on the way out.
process.once('SIGTERM', () => process.exit(0));
