package io.realtimegateway.engine;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Session ids as python-engineio makes them: 12 random bytes and a 3-byte sequence number, URL-safe
 * base64, 20 characters. Used for Engine.IO and Socket.IO sids alike.
 */
public final class SessionIds {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger SEQUENCE = new AtomicInteger(RANDOM.nextInt());

  private SessionIds() {}

  public static String next() {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    int sequence = SEQUENCE.getAndIncrement();
    bytes[12] = (byte) (sequence >>> 16);
    bytes[13] = (byte) (sequence >>> 8);
    bytes[14] = (byte) sequence;
    return Base64.getUrlEncoder().encodeToString(bytes);
  }
}
