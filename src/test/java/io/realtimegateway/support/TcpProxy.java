package io.realtimegateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a free loopback port to one other local port, which a test can cut: what goes
 * through it loses its connections and new ones are closed at once, until it is restored. Put
 * between one replica and Redis, it cuts that replica off while every other client of the same
 * Redis carries on.
 */
public final class TcpProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;

  private TcpProxy(int targetPort) {
    this.targetPort = targetPort;
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A relay to {@code 127.0.0.1:targetPort}. */
  public static TcpProxy to(int targetPort) {
    return new TcpProxy(targetPort);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code redis://127.0.0.1:P}, for a relay to a Redis server. */
  public String redisUrl() {
    return "redis://127.0.0.1:" + port();
  }

  /** Closes every relayed connection; connections made from now on are closed at once. */
  public void cut() {
    cut = true;
    open.forEach(TcpProxy::closeQuietly);
    open.clear();
  }

  /** Relays new connections again. */
  public void restore() {
    cut = false;
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (cut) {
        closeQuietly(client);
        continue;
      }
      Socket upstream;
      try {
        upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
      } catch (IOException e) {
        closeQuietly(client);
        continue;
      }
      open.add(client);
      open.add(upstream);
      // A cut between the check above and here must not leave this pair relaying.
      if (cut) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      pump(client, upstream);
      pump(upstream, client);
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, read);
                  out.flush();
                }
              } catch (IOException e) {
                // The connection ended, or was cut: both sides go.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
              }
            },
            "tcp-proxy-pump-" + from.getPort());
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is all that was wanted.
    }
  }

  @Override
  public void close() {
    cut();
    try {
      server.close();
    } catch (IOException e) {
      // Closing is all that was wanted.
    }
  }
}
