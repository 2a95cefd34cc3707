package dev.flowcast.composer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The engine's answers about a user's rights (their groups, whether they may do something), kept
 * across requests. An answer is forgotten at once when this node's engine runs a command that
 * changes authorizations, users, groups, tenants or memberships ({@link #invalidate()}, called by
 * the engine plugin), and after the time to live in any case: another node of a cluster changes
 * the same database without this node seeing a command. A time to live of zero keeps nothing.
 */
public final class AuthorizationCache {

  /** Past this many answers the expired ones go, and if that is not enough, all of them. */
  static final int MAX_ANSWERS = 10_000;

  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong generation = new AtomicLong();
  private final ConcurrentHashMap<Object, Answer> answers = new ConcurrentHashMap<>();

  public AuthorizationCache(Duration ttl) {
    this(ttl, System::nanoTime);
  }

  AuthorizationCache(Duration ttl, LongSupplier nanoTime) {
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("the authorization cache's time to live must not be negative: " + ttl);
    }
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Forgets every answer. An answer whose lookup was under way when this was called is not kept
   * either: it may have been read before the change was committed.
   */
  public void invalidate() {
    generation.incrementAndGet();
    answers.clear();
  }

  /** The answer kept under the key, or the lookup's (kept until the time to live has passed). */
  @SuppressWarnings("unchecked")
  <T> T answer(Object key, Supplier<T> lookup) {
    if (ttlNanos == 0) {
      return lookup.get();
    }
    // both taken before the lookup: the answer lives no longer than the TTL counted from before it
    // was read, and an invalidation during the lookup leaves it stale on arrival
    long asked = nanoTime.getAsLong();
    long current = generation.get();
    Answer kept = answers.get(key);
    if (kept != null && kept.generation() == current && asked - kept.expires() < 0) {
      return (T) kept.value();
    }
    T value = lookup.get();
    if (answers.size() >= MAX_ANSWERS) {
      answers.values().removeIf(a -> asked - a.expires() >= 0);
      if (answers.size() >= MAX_ANSWERS) {
        answers.clear();
      }
    }
    answers.put(key, new Answer(value, current, asked + ttlNanos));
    return value;
  }

  int size() {
    return answers.size();
  }

  private record Answer(Object value, long generation, long expires) {}
}
