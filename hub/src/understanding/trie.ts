/**
 * A character trie over every phrase the engine knows (vocabulary and the home's names). Matching walks it once
 * from a position and keeps the longest phrase that ends on a word boundary: no regular expressions at parse
 * time, so the cost is bounded by the length of the longest phrase.
 */
import { isDigit, isLetter } from './text.ts';

export interface TrieNode<T> {
  next: Map<number, TrieNode<T>>;
  values?: T[];
}

export interface TrieMatch<T> {
  end: number;
  values: T[];
}

export class Trie<T> {
  readonly root: TrieNode<T> = { next: new Map() };
  size = 0;

  add(phrase: string, value: T): void {
    if (!phrase) return;
    let node = this.root;
    for (let i = 0; i < phrase.length; i++) {
      const c = phrase.charCodeAt(i);
      let child = node.next.get(c);
      if (!child) {
        child = { next: new Map() };
        node.next.set(c, child);
      }
      node = child;
    }
    if (!node.values) {
      node.values = [];
      this.size++;
    }
    node.values.push(value);
  }

  /** The meanings of exactly this phrase. */
  get(phrase: string): T[] | undefined {
    let node: TrieNode<T> | undefined = this.root;
    for (let i = 0; i < phrase.length && node; i++) node = node.next.get(phrase.charCodeAt(i));
    return node?.values;
  }

  /** Every phrase starting at `start` (shortest first), each ending on a word boundary. */
  all(s: string, start: number, out: TrieMatch<T>[] = []): TrieMatch<T>[] {
    let node: TrieNode<T> | undefined = this.root;
    for (let i = start; i < s.length; i++) {
      node = node.next.get(s.charCodeAt(i));
      if (!node) break;
      if (node.values && boundaryAfter(s, i)) out.push({ end: i + 1, values: node.values });
    }
    return out;
  }

  /**
   * The longest phrase starting at `start`. A phrase that ends in a letter may not be followed by a letter, and
   * one ending in a digit not by a digit ("tv" does not match inside "tvs"; "hdmi" does match in "hdmi2").
   */
  longest(s: string, start: number): TrieMatch<T> | undefined {
    let node: TrieNode<T> | undefined = this.root;
    let best: TrieMatch<T> | undefined;
    for (let i = start; i < s.length; i++) {
      node = node.next.get(s.charCodeAt(i));
      if (!node) break;
      if (node.values && boundaryAfter(s, i)) best = { end: i + 1, values: node.values };
    }
    return best;
  }
}

export function boundaryAfter(s: string, last: number): boolean {
  if (last + 1 >= s.length) return true;
  const a = s.charCodeAt(last);
  const b = s.charCodeAt(last + 1);
  if (isLetter(a)) return !isLetter(b);
  if (isDigit(a)) return !isDigit(b);
  return true;
}
