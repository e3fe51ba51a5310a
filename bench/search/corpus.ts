/**
 * The search scenario's corpus: message texts made up deterministically
 * (a seeded generator), so every run searches the same million messages.
 * Ordinary messages are 6 to 14 words of a made-up vocabulary with a Zipf
 * spread (a few words very common, most rare), plus planted words the
 * queries look for at known rates: a common word, a rare one, a phrase,
 * Chinese and Japanese sentences (no spaces), URLs and email addresses.
 */

/** mulberry32: small, fast, good enough to spread words. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ren',
  'sa',
  'tor',
  'vel',
  'ix',
  'un',
  'bra',
  'po',
  'dex',
  'fi',
  'gan',
  'hu',
  'jo',
];
const CJK_WORDS = ['数据库', '迁移', '北京', '上海', '会议', '明天', '服务器', '部署', '今天', '天气', '问题', '测试'];
const JA_WORDS = ['東京', 'データベース', 'バックアップ', '完了', 'しました', '会議', '明日', 'サーバー', '確認'];

/** The rates of the planted words, per message. */
export const PLANTED = {
  /** 'deployment' (and 'deploy', 'deployed'): the common word and the prefix 'deplo'. */
  common: 0.03,
  /** '"release notes"': the phrase. */
  phrase: 0.005,
  /** Chinese or Japanese sentences. */
  cjk: 0.08,
  /** A URL or an email address. */
  link: 0.02,
  /** 'zanzibar': one message in this many (n ≡ 1: room 0, public). */
  rareEvery: 50_000,
} as const;

export class SearchCorpus {
  readonly #vocabulary: string[];
  readonly #zipf: number[];

  constructor(words = 4000) {
    const random = seeded(17);
    const vocabulary = new Set<string>();
    while (vocabulary.size < words) {
      const n = 2 + Math.floor(random() * 3);
      let word = '';
      for (let i = 0; i < n; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
      vocabulary.add(word);
    }
    this.#vocabulary = [...vocabulary];
    // Cumulative Zipf weights (s = 1): word k is picked with weight 1/k.
    let sum = 0;
    this.#zipf = this.#vocabulary.map((_, k) => (sum += 1 / (k + 1)));
  }

  /** The text of message number n (1-based): the same for the same n on every run. */
  text(n: number): string {
    const random = seeded(n * 2654435761);
    if (n % PLANTED.rareEvery === 1) return `the zanzibar shipment ${this.#words(random, 5)}`;
    const kind = random();
    if (kind < PLANTED.cjk) return this.#cjk(random);
    const words = this.#words(random, 6 + Math.floor(random() * 9)).split(' ');
    const at = random();
    const put = (text: string) => words.splice(Math.floor(random() * words.length), 0, text);
    if (at < PLANTED.common) put(['deployment', 'deploy', 'deployed'][Math.floor(random() * 3)] as string);
    else if (at < PLANTED.common + PLANTED.phrase) put('release notes');
    else if (at < PLANTED.common + PLANTED.phrase + PLANTED.link)
      put(random() < 0.5 ? `https://example.com/docs/${words[0]}?id=${n}` : `${words[0]}.${words[1]}@example.org`);
    return words.join(' ');
  }

  #word(random: () => number): string {
    const total = this.#zipf[this.#zipf.length - 1] as number;
    const x = random() * total;
    let low = 0;
    let high = this.#zipf.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.#zipf[mid] as number) < x) low = mid + 1;
      else high = mid;
    }
    return this.#vocabulary[low] as string;
  }

  #words(random: () => number, count: number): string {
    return Array.from({ length: count }, () => this.#word(random)).join(' ');
  }

  #cjk(random: () => number): string {
    const pool = random() < 0.6 ? CJK_WORDS : JA_WORDS;
    const count = 4 + Math.floor(random() * 6);
    return Array.from({ length: count }, () => pool[Math.floor(random() * pool.length)]).join('');
  }
}

/** The queries measured, each with what it exercises. */
export const SEARCH_QUERIES = [
  { name: 'common word', q: 'deployment' },
  { name: 'rare word', q: 'zanzibar' },
  { name: 'prefix', q: 'deplo' },
  { name: 'phrase', q: '"release notes"' },
  { name: 'two words', q: 'deploy ren' },
  { name: 'CJK 3 chars', q: '数据库' },
  { name: 'CJK 2 chars', q: '北京' },
  { name: 'no match', q: 'qwertyuiop' },
] as const;
