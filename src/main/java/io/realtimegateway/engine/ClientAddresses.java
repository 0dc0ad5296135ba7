package io.realtimegateway.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Facts about a client's IP address. */
public final class ClientAddresses {

  private ClientAddresses() {}

  /** Whether an IP literal is a loopback address (127.0.0.0/8, ::1). */
  public static boolean isLoopback(String hostAddress) {
    if (hostAddress == null || hostAddress.isEmpty() || Character.isLetter(hostAddress.charAt(0))) {
      // Only IP literals: a name here would make InetAddress resolve it.
      return false;
    }
    if (hostAddress.startsWith("127.")) {
      // Every request of a local backend passes here; skip parsing the common literal.
      return true;
    }
    try {
      return InetAddress.getByName(hostAddress).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
