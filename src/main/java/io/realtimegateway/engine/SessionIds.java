package io.realtimegateway.engine;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Session ids as python-engineio makes them: 12 random bytes and 3 more bytes, URL-safe base64, 20
 * characters. In a Socket.IO sid the 3 bytes are a sequence number, as in python-engineio; in an
 * Engine.IO sid they are the tag of the replica that holds the session, so that a poll reaching
 * another replica can be forwarded to it ({@link SessionOwners}).
 */
public final class SessionIds {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger SEQUENCE = new AtomicInteger(RANDOM.nextInt());
  private static final int RANDOM_BYTES = 12;
  private static final int LENGTH = 20;

  private SessionIds() {}

  /** A Socket.IO sid. */
  public static String next() {
    return withTag(SEQUENCE.getAndIncrement());
  }

  /** An Engine.IO sid that names its replica by the lowest 24 bits of {@code tag}. */
  public static String withTag(int tag) {
    byte[] bytes = new byte[RANDOM_BYTES + 3];
    RANDOM.nextBytes(bytes);
    bytes[RANDOM_BYTES] = (byte) (tag >>> 16);
    bytes[RANDOM_BYTES + 1] = (byte) (tag >>> 8);
    bytes[RANDOM_BYTES + 2] = (byte) tag;
    return Base64.getUrlEncoder().encodeToString(bytes);
  }

  /** The replica tag of an Engine.IO sid; empty when the text is not a sid this gateway makes. */
  public static OptionalInt tagOf(String sid) {
    if (sid == null || sid.length() != LENGTH) {
      return OptionalInt.empty();
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(sid);
    } catch (IllegalArgumentException e) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(
        (bytes[RANDOM_BYTES] & 0xff) << 16
            | (bytes[RANDOM_BYTES + 1] & 0xff) << 8
            | (bytes[RANDOM_BYTES + 2] & 0xff));
  }
}
