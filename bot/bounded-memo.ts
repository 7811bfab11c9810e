/**
 * `compute` remembered for the last values asked (up to `max`, then all forgotten at once). For the keyed hashes
 * asked on every update (a chat's session key, a sender's flood key): a citizen's chat sends many updates, and an
 * HMAC costs more than a map lookup. What it holds, raw ids and their hashes, this process holds anyway with the
 * key that made them; it is never written anywhere.
 */
export function boundedMemo<K, V>(compute: (value: K) => V, max = 10_000): (value: K) => V {
  const known = new Map<K, V>();
  return (value) => {
    let result = known.get(value);
    if (result === undefined) {
      result = compute(value);
      if (known.size >= max) known.clear();
      known.set(value, result);
    }
    return result;
  };
}
