// The tour's claims in the tour's order: what every engine's tour must
// show. One list for tour.test.mjs and engines.test.mjs; the engine's
// registry (engine::tour::claims, \`claims!\`) is the source it mirrors, and
// engine::ids pins the same ids natively.
export const CLAIMS = ['gil-cpu', 'processes-cores', 'cpu-count', 'io-threads', 'asyncio-loop', 'memory', 'data-transfer',
  'race-lock', 'deadlock', 'crash', 'gil-counter', 'free-needs-locks', 'append-safe', 'uneven', 'pool', 'mixed', 'convoy'];
