package io.realtimegateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import jakarta.servlet.Filter;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.webresources.TomcatURLStreamHandlerFactory;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import reactor.core.publisher.Mono;

/**
 * An MCP server over streamable HTTP on a loopback port, built with the MCP Java SDK's server side
 * (its servlet transport in an embedded Tomcat), for tests. Endpoint {@code /mcp}; with a key, a
 * request without {@code Authorization: Bearer <key>} gets 401. Tools:
 *
 * <ul>
 *   <li>{@code render_chart}: a small PNG ({@link #PNG_BASE64}) as an image part;
 *   <li>{@code get_weather {city}}: JSON as text, and the same as structured content;
 *   <li>{@code slow_count {seconds}}: answers {@code "done"} after that many seconds (default 30);
 *   <li>{@code broken_tool}: a result flagged {@code isError};
 *   <li>{@code fetch_document}: an embedded text resource and a resource link.
 * </ul>
 *
 * It records the {@code Authorization} header of every request, the name of every call, which
 * {@code slow_count} calls ran to their end, and every {@code notifications/cancelled} a client
 * sent (the SDK's server has no handler for it, so a filter reads the request bodies).
 */
public final class FakeMcpServer implements AutoCloseable {

  /** The image {@code render_chart} returns: a 2×2 PNG, base64. */
  public static final String PNG_BASE64 = png();

  /** The JSON text {@code get_weather} answers for {@code city}. */
  public static String weatherJson(String city) {
    return "{\"city\":\"" + city + "\",\"temperature_c\":21.5}";
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final int port;
  private final String key;
  private final Tomcat tomcat;
  private final McpAsyncServer server;
  private final Queue<String> authorizations = new ConcurrentLinkedQueue<>();
  private final Queue<String> calls = new ConcurrentLinkedQueue<>();
  private final Queue<String> finished = new ConcurrentLinkedQueue<>();
  private final Queue<String> cancelled = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean open = new AtomicBoolean(true);

  private FakeMcpServer(int port, String key) {
    this.key = key;
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(new JacksonMcpJsonMapper(MAPPER))
            .mcpEndpoint("/mcp")
            .build();
    server =
        McpServer.async(transport)
            .serverInfo("fake-mcp", "1.0.0")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
            .tools(tools())
            .build();
    // Tomcat would install its URL stream handler factory, which the JVM allows once per process
    // (and the Quarkus test's class loading may have set one already); none of its URLs are used.
    TomcatURLStreamHandlerFactory.disable();
    tomcat = new Tomcat();
    try {
      tomcat.setBaseDir(Files.createTempDirectory("fake-mcp").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Connector connector = new Connector();
    connector.setPort(port);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", null);
    // Its leak check of RMI targets only warns that it needs an --add-opens; there is no RMI here.
    ((StandardContext) context).setClearReferencesRmiTargets(false);
    Wrapper servlet = Tomcat.addServlet(context, "mcp", transport);
    servlet.setAsyncSupported(true);
    context.addServletMappingDecoded("/mcp", "mcp");
    FilterDef auth = new FilterDef();
    auth.setFilterName("auth");
    auth.setFilter(authFilter());
    auth.setAsyncSupported("true");
    context.addFilterDef(auth);
    FilterMap everything = new FilterMap();
    everything.setFilterName("auth");
    everything.addURLPattern("/*");
    context.addFilterMap(everything);
    try {
      tomcat.start();
    } catch (LifecycleException e) {
      throw new IllegalStateException("fake MCP server did not start", e);
    }
    this.port = connector.getLocalPort();
  }

  /** A server on a free loopback port, without a key. */
  public static FakeMcpServer start() {
    return new FakeMcpServer(0, null);
  }

  /** A server on {@code port} (0 = a free one) that wants {@code key} as bearer (null = none). */
  public static FakeMcpServer start(int port, String key) {
    return new FakeMcpServer(port, key);
  }

  /** A loopback port nothing listens on (yet). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The streamable-HTTP endpoint. */
  public String url() {
    return "http://127.0.0.1:" + port + "/mcp";
  }

  public int port() {
    return port;
  }

  /** Every request's {@code Authorization} header ("" when absent), in order. */
  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** The tools called so far, in order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  /** The {@code slow_count} calls that ran to their end, as {@code "slow_count <seconds>"}. */
  public List<String> finished() {
    return List.copyOf(finished);
  }

  /** The {@code params} of every {@code notifications/cancelled} received, as JSON text. */
  public List<String> cancelled() {
    return List.copyOf(cancelled);
  }

  /**
   * Stops at once, as a crashed process would: open connections, a call's stream among them, are
   * cut. Closing again does nothing.
   */
  @Override
  public void close() {
    if (!open.compareAndSet(true, false)) {
      return;
    }
    try {
      // The connector first: stopping the whole server would first wait for running requests.
      tomcat.getConnector().stop();
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException(e);
    }
    server.close();
  }

  private Filter authFilter() {
    return (request, response, chain) -> {
      String header = ((HttpServletRequest) request).getHeader("Authorization");
      authorizations.add(header == null ? "" : header);
      if (key != null && !("Bearer " + key).equals(header)) {
        ((HttpServletResponse) response).sendError(401);
        return;
      }
      HttpServletRequest http = (HttpServletRequest) request;
      if (!"POST".equals(http.getMethod())) {
        chain.doFilter(request, response);
        return;
      }
      byte[] body = request.getInputStream().readAllBytes();
      JsonNode message = MAPPER.readTree(body);
      if (message != null && "notifications/cancelled".equals(message.path("method").asText())) {
        cancelled.add(message.path("params").toString());
      }
      chain.doFilter(new ReadAgain(http, body), response);
    };
  }

  /** A request whose body the filter has read, offered again to the SDK's servlet. */
  private static final class ReadAgain extends HttpServletRequestWrapper {
    private final byte[] body;

    ReadAgain(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("blocking reads only");
        }

        @Override
        public int read() {
          return in.read();
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }
  }

  private List<AsyncToolSpecification> tools() {
    return List.of(
        tool(
            "render_chart",
            "Renders a chart as a PNG image.",
            Map.of("type", "object", "properties", Map.of()),
            request ->
                CallToolResult.builder()
                    .addContent(new McpSchema.ImageContent(null, PNG_BASE64, "image/png"))
                    .build()),
        tool(
            "get_weather",
            "Current weather of a city, as JSON.",
            Map.of(
                "type",
                "object",
                "properties",
                Map.of("city", Map.of("type", "string", "description", "City name")),
                "required",
                List.of("city")),
            request -> {
              String city = String.valueOf(request.arguments().get("city"));
              return CallToolResult.builder()
                  .addTextContent(weatherJson(city))
                  .structuredContent(Map.of("city", city, "temperature_c", 21.5))
                  .build();
            }),
        tool(
            "broken_tool",
            "Always fails.",
            Map.of("type", "object", "properties", Map.of()),
            request ->
                CallToolResult.builder()
                    .addTextContent("the tool failed on purpose")
                    .isError(true)
                    .build()),
        tool(
            "fetch_document",
            "Returns a document and a link to another.",
            Map.of("type", "object", "properties", Map.of()),
            request ->
                CallToolResult.builder()
                    .addContent(
                        new McpSchema.EmbeddedResource(
                            null,
                            new McpSchema.TextResourceContents(
                                "file:///notes/a.md", "text/markdown", "# Notes")))
                    .addContent(
                        McpSchema.ResourceLink.builder()
                            .name("b.md")
                            .uri("file:///notes/b.md")
                            .mimeType("text/markdown")
                            .build())
                    .build()),
        new AsyncToolSpecification(
            McpSchema.Tool.builder()
                .name("slow_count")
                .description("Answers after a while.")
                .inputSchema(
                    Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("seconds", Map.of("type", "number"))))
                .build(),
            (exchange, request) -> {
              calls.add("slow_count");
              Object seconds = request.arguments().getOrDefault("seconds", 30);
              long millis = (long) (((Number) seconds).doubleValue() * 1000);
              return Mono.delay(Duration.ofMillis(millis))
                  .doOnNext(tick -> finished.add("slow_count " + seconds))
                  .map(tick -> CallToolResult.builder().addTextContent("done").build());
            }));
  }

  private AsyncToolSpecification tool(
      String name,
      String description,
      Map<String, Object> inputSchema,
      java.util.function.Function<McpSchema.CallToolRequest, CallToolResult> handler) {
    return new AsyncToolSpecification(
        McpSchema.Tool.builder()
            .name(name)
            .description(description)
            .inputSchema(inputSchema)
            .build(),
        (exchange, request) -> {
          calls.add(name);
          return Mono.fromSupplier(() -> handler.apply(request));
        });
  }

  private static String png() {
    BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xFF0000);
    image.setRGB(1, 1, 0x0000FF);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
