/**
 * The V8 flags the bot runs with: in the Dockerfile's CMD, in `npm start`, and in the benchmarks' child processes,
 * so that what is measured is what runs (tests/ops/node-flags.test.ts keeps the three in step).
 *
 * A young generation of 8 MB semi-spaces, not 16: reading the index grows V8's default one to its maximum, which
 * it then keeps. At course size the start peaks 128 MB instead of 141, and under HTTP load 154 instead of 169,
 * with the same throughput (docs/benchmark.md).
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8']
