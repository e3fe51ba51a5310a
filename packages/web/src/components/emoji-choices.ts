/*
 * The reaction picker's grid: a curated set, plus a box that takes any emoji (typed or pasted,
 * from the system's emoji keyboard) and the ones this person used last. A full emoji library
 * would add hundreds of kilobytes, and the ones that fetch their data from a CDN break on a
 * self-hosted server behind a strict Content-Security-Policy.
 */
export const EMOJI_GROUPS: ReadonlyArray<{ label: string; emoji: readonly string[] }> = [
  {
    label: 'Smileys',
    emoji: [
      '😀',
      '😄',
      '😂',
      '🤣',
      '😊',
      '😍',
      '🥰',
      '😘',
      '😎',
      '🤩',
      '🤔',
      '🙄',
      '😏',
      '😬',
      '😅',
      '😢',
      '😭',
      '😡',
      '🤯',
      '😱',
      '🥳',
      '😴',
      '🤗',
      '🙃',
    ],
  },
  {
    label: 'Gestures',
    emoji: ['👍', '👎', '👏', '🙌', '🙏', '🤝', '👌', '✌️', '🤞', '💪', '👋', '🫡', '👀', '🤷', '🤦', '🫶'],
  },
  {
    label: 'Symbols',
    emoji: [
      '❤️',
      '🧡',
      '💛',
      '💚',
      '💙',
      '💜',
      '🖤',
      '💔',
      '💯',
      '✅',
      '❌',
      '⚠️',
      '❓',
      '❗',
      '⭐',
      '✨',
      '🔥',
      '💥',
      '🎉',
      '🎊',
    ],
  },
  {
    label: 'Things',
    emoji: [
      '🚀',
      '☕',
      '🍕',
      '🍺',
      '🎂',
      '🏆',
      '💡',
      '📌',
      '📎',
      '🐛',
      '🛠️',
      '🔒',
      '⏰',
      '📅',
      '🌈',
      '☀️',
      '🌧️',
      '🐶',
      '🐱',
      '🦄',
    ],
  },
];

const oneEmoji = /^\p{RGI_Emoji}$/v;

/** Whether text is exactly one emoji, as the server checks a reaction. */
export function isOneEmoji(text: string): boolean {
  return oneEmoji.test(text);
}

const RECENT_KEY = 'pockychat:recent-emoji';
const RECENT_MAX = 16;

export function readRecentEmoji(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((e): e is string => typeof e === 'string' && isOneEmoji(e)) : [];
  } catch {
    return [];
  }
}

/** Puts an emoji first among the recent ones. */
export function rememberEmoji(emoji: string): void {
  const recent = [emoji, ...readRecentEmoji().filter((e) => e !== emoji)].slice(0, RECENT_MAX);
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(recent));
  } catch {
    // Private mode or a full quota: recents are a convenience.
  }
}
