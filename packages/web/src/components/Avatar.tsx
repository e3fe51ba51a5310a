import type { User } from '@pockychat/protocol';

// Colours are CSS classes (avatar--c0 to c7), so a strict CSP needs no inline styles.
const paletteSize = 8;

function colourOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % paletteSize;
}

function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words.at(-1)] : [name.trim()];
  return letters
    .map((w) => Array.from(w ?? '')[0] ?? '')
    .join('')
    .toUpperCase();
}

export function Avatar({ user, size = 'md' }: { user: User; size?: 'sm' | 'md' }) {
  return (
    <span className={`avatar avatar--${size} avatar--c${colourOf(user.id)}`} aria-hidden="true">
      {initialsOf(user.name)}
    </span>
  );
}
