package io.realtimegateway.room;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sets of sids or room names kept as values of a {@link ConcurrentHashMap} and changed only inside
 * its {@code compute} methods (so one change at a time per key), read by any thread without a lock.
 *
 * <p>Most such sets are tiny: a socket's own room, a user's room, the rooms of one socket. A
 * concurrent set costs about 180 bytes even when it holds one element, which was a fifth of the
 * gateway's own memory per idle connection (BENCHMARKS.md, profiling log). So a set of up to {@link
 * #SMALL} elements is an immutable {@code Set.of} that a change replaces (24 bytes for one or two
 * elements), and a larger one is a concurrent set changed in place, so that joining a large room
 * stays O(1). A reader holds either a snapshot or a live, weakly consistent view; both are what
 * iterating a concurrent set already gave.
 */
public final class MemberSets {

  /** Above this many elements a set is a concurrent set changed in place. */
  static final int SMALL = 8;

  private MemberSets() {}

  /** The set with {@code element} added: {@code set} itself when it changed in place or had it. */
  public static Set<String> plus(Set<String> set, String element) {
    if (set == null || set.isEmpty()) {
      return Set.of(element);
    }
    if (set.contains(element)) {
      return set;
    }
    if (set instanceof ConcurrentHashMap.KeySetView<String, ?> large) {
      large.add(element);
      return large;
    }
    if (set.size() < SMALL) {
      String[] elements = set.toArray(new String[set.size() + 1]);
      elements[set.size()] = element;
      return Set.of(elements);
    }
    Set<String> large = ConcurrentHashMap.newKeySet(SMALL * 4);
    large.addAll(set);
    large.add(element);
    return large;
  }

  /**
   * The set without {@code element}; null when nothing is left, so that {@code compute} removes the
   * key. A large set stays a concurrent set while it shrinks, so it does not flip back and forth.
   */
  public static Set<String> minus(Set<String> set, String element) {
    if (set == null || !set.contains(element)) {
      return set == null || set.isEmpty() ? null : set;
    }
    if (set.size() == 1) {
      return null;
    }
    if (set instanceof ConcurrentHashMap.KeySetView<String, ?> large) {
      large.remove(element);
      return large;
    }
    String[] left = new String[set.size() - 1];
    int i = 0;
    for (String member : set) {
      if (!member.equals(element)) {
        left[i++] = member;
      }
    }
    return Set.of(left);
  }
}
