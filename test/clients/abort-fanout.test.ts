import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { abortSubscriberCount, onAbort } from '../../src/clients/abort-fanout.js';

describe('onAbort: one listener per signal, subscriptions in a set', () => {
  it('calls every subscriber once, in order, when the signal aborts; the signal holds one listener throughout', () => {
    const ac = new AbortController();
    const calls: string[] = [];
    const offs = ['a', 'b', 'c'].map((name) => onAbort(ac.signal, () => calls.push(name)));
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    expect(abortSubscriberCount(ac.signal)).toBe(3);
    ac.abort();
    expect(calls).toEqual(['a', 'b', 'c']);
    offs.forEach((off) => off());
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(abortSubscriberCount(ac.signal)).toBe(0);
  });

  it('an unsubscribed function is not called, and unsubscribing twice is harmless', () => {
    const ac = new AbortController();
    const calls: string[] = [];
    const offA = onAbort(ac.signal, () => calls.push('a'));
    onAbort(ac.signal, () => calls.push('b'));
    offA();
    offA();
    expect(abortSubscriberCount(ac.signal)).toBe(1);
    ac.abort();
    expect(calls).toEqual(['b']);
  });

  it('subscribing to an aborted signal calls at once and adds nothing', () => {
    const ac = new AbortController();
    ac.abort();
    let called = 0;
    const off = onAbort(ac.signal, () => called++);
    expect(called).toBe(1);
    expect(abortSubscriberCount(ac.signal)).toBe(0);
    off();
    expect(called).toBe(1);
  });

  it('thousands of subscribe/unsubscribe cycles never add a second listener', () => {
    const ac = new AbortController();
    for (let i = 0; i < 5000; i++) {
      const off = onAbort(ac.signal, () => undefined);
      expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
      off();
    }
    expect(abortSubscriberCount(ac.signal)).toBe(0);
    let fired = false;
    onAbort(ac.signal, () => (fired = true));
    ac.abort();
    expect(fired).toBe(true);
  });

  it('a subscriber that throws does not keep the others from running', async () => {
    const ac = new AbortController();
    const calls: string[] = [];
    onAbort(ac.signal, () => calls.push('a'));
    onAbort(ac.signal, () => {
      throw new Error('boom');
    });
    onAbort(ac.signal, () => calls.push('c'));
    // EventTarget reports a listener's error as an uncaught exception on a later tick: catch it here
    const errors: unknown[] = [];
    const handler = (e: unknown): void => void errors.push(e);
    const saved = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', handler);
    try {
      ac.abort();
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.removeListener('uncaughtException', handler);
      for (const l of saved) process.on('uncaughtException', l);
    }
    expect(calls).toEqual(['a', 'c']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom']);
  });
});
