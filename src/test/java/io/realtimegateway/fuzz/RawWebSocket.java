package io.realtimegateway.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain TCP socket, written for the fuzzer: it sends whatever bytes it is
 * given (invalid UTF-8 in text messages, fragments, frames that break RFC 6455), reads without a
 * thread of its own ({@link #poll()} never blocks) and closes in three ways (close frame, FIN,
 * RST). {@link io.realtimegateway.support.RawEngineClient} is built on the JDK client, which
 * refuses to send malformed text and costs a selector thread per connection.
 */
final class RawWebSocket implements AutoCloseable {

  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CLOSE = 8;
  static final int PING = 9;
  static final int PONG = 10;

  /** A complete message from the server; a {@link #CLOSE} with code -1 stands for end of stream. */
  record Message(int opcode, byte[] payload, int closeCode) {
    boolean isText() {
      return opcode == TEXT;
    }

    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private byte[] inbound = new byte[8192];
  private int inboundLength;
  private ByteArrayOutputStream fragments;
  private int fragmentsOpcode;
  private boolean ended;

  private RawWebSocket(Socket socket, byte[] leftover) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    append(leftover, leftover.length);
  }

  /** Opens a TCP connection and performs the WebSocket upgrade of {@code pathAndQuery}. */
  static RawWebSocket connect(InetSocketAddress address, String pathAndQuery, Duration timeout)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(address, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      byte[] key = new byte[16];
      ThreadLocalRandom.current().nextBytes(key);
      String request =
          "GET "
              + pathAndQuery
              + " HTTP/1.1\r\nHost: "
              + address.getHostString()
              + ":"
              + address.getPort()
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
              + Base64.getEncoder().encodeToString(key)
              + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] chunk = new byte[1024];
      int end;
      while ((end = headerEnd(head.toByteArray())) < 0) {
        int n = in.read(chunk);
        if (n < 0) {
          throw new IOException("connection closed during the WebSocket upgrade");
        }
        head.write(chunk, 0, n);
      }
      byte[] all = head.toByteArray();
      String status = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
      if (!status.startsWith("HTTP/1.1 101")) {
        throw new IOException("upgrade refused: " + status);
      }
      return new RawWebSocket(socket, Arrays.copyOfRange(all, end, all.length));
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static int headerEnd(byte[] bytes) {
    for (int i = 3; i < bytes.length; i++) {
      if (bytes[i - 3] == '\r'
          && bytes[i - 2] == '\n'
          && bytes[i - 1] == '\r'
          && bytes[i] == '\n') {
        return i + 1;
      }
    }
    return -1;
  }

  /** Sends a message, split into {@code fragments} frames; false when the connection is gone. */
  boolean send(FuzzFrame frame) {
    try {
      switch (frame.kind()) {
        case RAW -> out.write(frame.payload());
        case WS_PING -> writeFrame(true, PING, frame.payload(), 0, frame.payload().length);
        case TEXT, BINARY -> {
          int opcode = frame.kind() == FuzzFrame.Kind.TEXT ? TEXT : BINARY;
          byte[] data = frame.payload();
          int parts = Math.max(1, Math.min(frame.fragments(), Math.max(1, data.length)));
          int offset = 0;
          for (int part = 0; part < parts; part++) {
            int length = part == parts - 1 ? data.length - offset : data.length / parts;
            writeFrame(part == parts - 1, part == 0 ? opcode : 0, data, offset, length);
            offset += length;
          }
        }
      }
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  boolean sendText(String text) {
    return send(FuzzFrame.text(text));
  }

  private void writeFrame(boolean fin, int opcode, byte[] data, int offset, int length)
      throws IOException {
    int header = length < 126 ? 6 : length < 65536 ? 8 : 14;
    byte[] frame = new byte[header + length];
    frame[0] = (byte) ((fin ? 0x80 : 0) | opcode);
    int i = 1;
    if (length < 126) {
      frame[i++] = (byte) (0x80 | length);
    } else if (length < 65536) {
      frame[i++] = (byte) (0x80 | 126);
      frame[i++] = (byte) (length >>> 8);
      frame[i++] = (byte) length;
    } else {
      frame[i++] = (byte) (0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame[i++] = (byte) ((long) length >>> shift);
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    System.arraycopy(mask, 0, frame, i, 4);
    i += 4;
    for (int k = 0; k < length; k++) {
      frame[i + k] = (byte) (data[offset + k] ^ mask[k & 3]);
    }
    out.write(frame);
  }

  /** The messages that have arrived so far, without blocking. */
  List<Message> poll() throws IOException {
    int available = ended ? 0 : in.available();
    if (available > 0) {
      byte[] chunk = new byte[available];
      int n = in.read(chunk);
      if (n < 0) {
        ended = true;
      } else {
        append(chunk, n);
      }
    }
    return parse();
  }

  /**
   * Waits up to {@code timeout} for at least one message; empty on timeout. End of stream arrives
   * as a {@link #CLOSE} message with code -1.
   */
  List<Message> await(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Message> messages = parse();
    byte[] chunk = new byte[8192];
    while (messages.isEmpty() && !ended) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return messages;
      }
      socket.setSoTimeout((int) Math.max(1, left));
      try {
        int n = in.read(chunk);
        if (n < 0) {
          ended = true;
        } else {
          append(chunk, n);
        }
      } catch (SocketTimeoutException e) {
        return messages;
      }
      messages = parse();
    }
    if (messages.isEmpty() && ended) {
      messages.add(new Message(CLOSE, new byte[0], -1));
    }
    return messages;
  }

  private void append(byte[] bytes, int length) {
    if (inboundLength + length > inbound.length) {
      inbound = Arrays.copyOf(inbound, Math.max(inbound.length * 2, inboundLength + length));
    }
    System.arraycopy(bytes, 0, inbound, inboundLength, length);
    inboundLength += length;
  }

  private List<Message> parse() throws IOException {
    List<Message> messages = new ArrayList<>();
    int start = 0;
    while (inboundLength - start >= 2) {
      int b0 = inbound[start] & 0xff;
      int b1 = inbound[start + 1] & 0xff;
      long length = b1 & 0x7f;
      int header = 2;
      if (length == 126) {
        if (inboundLength - start < 4) {
          break;
        }
        length = ((inbound[start + 2] & 0xff) << 8) | (inbound[start + 3] & 0xff);
        header = 4;
      } else if (length == 127) {
        if (inboundLength - start < 10) {
          break;
        }
        length = 0;
        for (int k = 0; k < 8; k++) {
          length = (length << 8) | (inbound[start + 2 + k] & 0xff);
        }
        header = 10;
      }
      if ((b1 & 0x80) != 0 || length > Integer.MAX_VALUE - 16) {
        throw new IOException("server sent a masked or oversized frame");
      }
      if (inboundLength - start < header + length) {
        break;
      }
      byte[] payload = Arrays.copyOfRange(inbound, start + header, start + header + (int) length);
      start += header + (int) length;
      boolean fin = (b0 & 0x80) != 0;
      int opcode = b0 & 0x0f;
      if (opcode >= CLOSE) {
        int code =
            opcode == CLOSE && payload.length >= 2
                ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff)
                : opcode == CLOSE ? 1005 : 0;
        messages.add(new Message(opcode, payload, code));
      } else if (opcode != 0 && fin) {
        messages.add(new Message(opcode, payload, 0));
      } else {
        if (opcode != 0) {
          fragments = new ByteArrayOutputStream();
          fragmentsOpcode = opcode;
        }
        if (fragments == null) {
          throw new IOException("server sent a continuation frame without a start");
        }
        fragments.write(payload);
        if (fin) {
          messages.add(new Message(fragmentsOpcode, fragments.toByteArray(), 0));
          fragments = null;
        }
      }
    }
    System.arraycopy(inbound, start, inbound, 0, inboundLength - start);
    inboundLength -= start;
    return messages;
  }

  /** Answers a server PING as RFC 6455 asks. */
  void pong(byte[] payload) throws IOException {
    writeFrame(true, PONG, payload, 0, payload.length);
    out.flush();
  }

  /** How the client goes away at the end of a connection. */
  enum CloseMode {
    /** Close frame 1000, then FIN. */
    CLOSE_FRAME,
    /** FIN without a close frame. */
    FIN,
    /** RST (SO_LINGER 0): the client vanishes. */
    RESET
  }

  void close(CloseMode mode) {
    try {
      switch (mode) {
        case CLOSE_FRAME -> {
          byte[] normal = {0x03, (byte) 0xe8};
          writeFrame(true, CLOSE, normal, 0, normal.length);
          out.flush();
        }
        case RESET -> socket.setSoLinger(true, 0);
        case FIN -> {}
      }
    } catch (IOException e) {
      // Already gone: closing below is all that is left to do.
    }
    close();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing to release beyond the socket itself.
    }
  }
}
