import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two shared cores: keep parallelism modest so end-to-end timings stay sane.
    maxWorkers: 2,
  },
})
