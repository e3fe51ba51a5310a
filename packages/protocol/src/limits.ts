/** Defaults of the wire contract's limits; the server may be configured otherwise. */
export const limits = {
  maxTextChars: 4000,
  maxFrameBytes: 64 * 1024,
  maxFileBytes: 25 * 1024 * 1024,
  rateLimitMessages: 20,
  rateLimitWindowSeconds: 10,
  historyDefaultLimit: 100,
  historyMaxLimit: 500,
  maxClientIdChars: 64,
  maxNameChars: 64,
  maxRequestIdChars: 64,
  replyQuoteChars: 200,
  maxMentions: 50,
  maxEmojiChars: 32,
} as const;
