/**
 * The Node flags pockychat runs with: `npm start` passes them (a test checks
 * that it does), and the bench gives every server under test the same ones.
 *
 * V8 sizes the young generation from the machine's memory: on 24 GiB each
 * semi-space may grow to 64 MB, and one burst (10,000 connections opening)
 * leaves 128 MB of empty young generation resident for the life of the
 * process, 13 KB per idle connection that no connection uses. 8 MB
 * semi-spaces cap that slack at 16 MB, and they cost no CPU: a message's
 * garbage dies young either way, and a smaller nursery stays in cache.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
