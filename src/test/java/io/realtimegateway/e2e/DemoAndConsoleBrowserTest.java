package io.realtimegateway.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.DemoConsoleProfile;
import io.realtimegateway.support.HeadlessChromium;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page and the console in a real browser (headless Chromium): the page signs in, streams
 * an echo reply, Stop ends it and both tabs of the user see {@code chat:tasks:cancel}; the console
 * (opened with the API key through its prompt) lists the demo sessions and the running task, and
 * its numbers move; names with HTML in them show as text. Screenshots go to target/screenshots.
 */
@QuarkusTest
@TestProfile(DemoConsoleProfile.class)
class DemoAndConsoleBrowserTest {

  /** About a hundred words: at the profile's 150 ms a word, 15 s to stream. */
  private static final String LONG_MESSAGE =
      ("Every word of this reply reaches both tabs as its own socket event, and the console counts"
              + " them as they go. ")
          .repeat(6)
          .trim();

  private static ChromeDriver browser;

  @TestHTTPResource("/")
  URI gateway;

  @BeforeEach
  void openBrowser() {
    if (browser == null) {
      browser = HeadlessChromium.start();
    }
  }

  /** Each test starts with one blank tab and no stored demo user or key. */
  @AfterEach
  void closeExtraTabs() {
    List<String> tabs = List.copyOf(browser.getWindowHandles());
    for (String tab : tabs.subList(1, tabs.size())) {
      browser.switchTo().window(tab).close();
    }
    browser.switchTo().window(tabs.get(0));
    browser.get(url("/demo/demo.css"));
    browser.executeScript("localStorage.clear(); sessionStorage.clear();");
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.quit();
      browser = null;
    }
  }

  @Test
  void demoPageStreamsAReplyThatStopEndsInBothTabsWhileTheConsoleWatches() throws Exception {
    browser.get(url("/"));
    String first = browser.getWindowHandle();
    awaitConnected();
    String userId = text("user-id");
    assertThat(userId).startsWith("demo-");

    // A short reply streams and finishes.
    send("one two three four five");
    await(
        driver ->
            driver.findElements(By.cssSelector(".message.assistant.done .text")).stream()
                .anyMatch(reply -> reply.getText().equals("one two three four five")));
    assertThat(eventTypes()).contains("chat:active", "chat:completion");

    // A second tab of the same browser is the same demo user.
    browser.switchTo().newWindow(WindowType.TAB);
    String second = browser.getWindowHandle();
    browser.get(url("/"));
    awaitConnected();
    assertThat(text("user-id")).isEqualTo(userId);

    // The console, opened with the key through its prompt, lists both sessions of the user.
    browser.switchTo().newWindow(WindowType.TAB);
    String console = browser.getWindowHandle();
    openConsoleWithKey();
    await(driver -> tableText("users").contains(userId));
    await(driver -> rowOf("users", userId).getText().endsWith(" 2"));
    long deliveriesBefore = Long.parseLong(text("deliveries-minute"));

    // A long reply: the console shows the running task and the traffic it makes.
    browser.switchTo().window(first);
    send(LONG_MESSAGE);
    browser.switchTo().window(console);
    await(driver -> !driver.findElements(By.cssSelector("#tasks button")).isEmpty());
    assertThat(tableText("tasks")).contains("demo:" + userId);
    await(driver -> Long.parseLong(text("deliveries-minute")) > deliveriesBefore);
    HeadlessChromium.screenshot(browser, "console");

    // Both tabs watch it stream; the first one stops it.
    browser.switchTo().window(second);
    await(driver -> !driver.findElements(By.cssSelector(".message.assistant.streaming")).isEmpty());
    browser.switchTo().window(first);
    await(driver -> !driver.findElements(By.cssSelector(".message.assistant.streaming")).isEmpty());
    HeadlessChromium.screenshot(browser, "demo");
    browser.findElement(By.id("stop")).click();
    for (String tab : List.of(first, second)) {
      browser.switchTo().window(tab);
      await(driver -> eventTypes().contains("chat:tasks:cancel"));
      WebElement stopped =
          await(
              ExpectedConditions.visibilityOfElementLocated(
                  By.cssSelector(".message.assistant.stopped .text")));
      assertThat(stopped.getText()).startsWith("Every word").isNotEqualTo(LONG_MESSAGE);
    }
    browser.switchTo().window(console);
    await(driver -> tableText("tasks").contains("no running tasks"));
  }

  @Test
  void theConsoleStopButtonStopsATaskOfTheDemoPage() {
    browser.get(url("/"));
    String page = browser.getWindowHandle();
    awaitConnected();
    send(LONG_MESSAGE);
    browser.switchTo().newWindow(WindowType.TAB);
    openConsoleWithKey();
    WebElement stop =
        await(ExpectedConditions.elementToBeClickable(By.cssSelector("#tasks button")));
    stop.click();
    browser.switchTo().window(page);
    await(driver -> eventTypes().contains("chat:tasks:cancel"));
    await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".message.stopped")));
  }

  @Test
  void userAndRoomNamesWithHtmlShowAsText() throws Exception {
    String name = "<img src=x onerror=\"window.pwned=1\"><b>Mallory</b>";
    String room = "<script>window.pwned=2</script><i>room</i>";
    browser.get(url("/?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)));
    awaitConnected();
    assertThat(text("user-name")).isEqualTo(name);
    assertThat(browser.findElements(By.cssSelector("header b, header img"))).isEmpty();
    String userId = text("user-id");
    given()
        .header("Authorization", "Bearer " + DemoConsoleProfile.API_KEY)
        .contentType(ContentType.JSON)
        .body(Map.of("user_id", userId))
        .post("/internal/v1/rooms/{room}/join", room)
        .then()
        .statusCode(200);
    browser.switchTo().newWindow(WindowType.TAB);
    openConsoleWithKey();
    await(driver -> tableText("rooms").contains(room));
    assertThat(rowOf("users", userId).getText()).contains(name);
    // Every name is a table cell's text: no cell holds an element parsed from one.
    assertThat(browser.findElements(By.cssSelector("td b, td img, td i, td script"))).isEmpty();
    assertThat(browser.executeScript("return window.pwned === undefined")).isEqualTo(true);
    HeadlessChromium.screenshot(browser, "console-escaped-names");
  }

  private void openConsoleWithKey() {
    browser.get(url("/console"));
    WebElement key = await(ExpectedConditions.visibilityOfElementLocated(By.id("key")));
    key.sendKeys(DemoConsoleProfile.API_KEY);
    browser.findElement(By.cssSelector("#key-form button")).click();
    await(ExpectedConditions.visibilityOfElementLocated(By.id("board")));
  }

  private void awaitConnected() {
    await(driver -> text("connection").equals("connected") && !text("model").isEmpty());
  }

  private void send(String message) {
    WebElement prompt = browser.findElement(By.id("prompt"));
    prompt.clear();
    prompt.sendKeys(message);
    browser.findElement(By.id("send")).click();
  }

  private List<String> eventTypes() {
    return browser.findElements(By.cssSelector("#events tr")).stream()
        .map(row -> row.getAttribute("data-type"))
        .toList();
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private String tableText(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private WebElement rowOf(String table, String firstCell) {
    return browser.findElements(By.cssSelector("#" + table + " tr")).stream()
        .filter(row -> row.getText().startsWith(firstCell))
        .findFirst()
        .orElseThrow();
  }

  private String url(String path) {
    return gateway.resolve(path).toString();
  }

  private static <T> T await(java.util.function.Function<WebDriver, T> condition) {
    return new WebDriverWait(browser, Duration.ofSeconds(20))
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(java.util.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition::apply);
  }
}
