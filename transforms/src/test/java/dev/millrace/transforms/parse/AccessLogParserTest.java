package dev.millrace.transforms.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.model.AccessLogEntry;
import java.nio.charset.StandardCharsets;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The combined log format contract of the log-analytics README, field by field and reason by reason. */
class AccessLogParserTest {
  private final AccessLogParser parser = new AccessLogParser(4096);

  static final String VALID =
      "203.0.113.7 - frank [17/May/2015:10:05:03 +0000] \"GET /presentations/logstash?page=2&q=a HTTP/1.1\" 200 7697 "
          + "\"http://semicomplete.com/\" \"Mozilla/5.0 (X11; Linux x86_64)\"";

  /** A line with the given time, request, status, bytes and user agent (all as written in the log). */
  static String line(String time, String request, String status, String bytes, String userAgent) {
    return "198.51.100.2 - - [" + time + "] \"" + request + "\" " + status + " " + bytes + " \"-\" \"" + userAgent + "\"";
  }

  AccessLogEntry entry(String line) {
    AccessLogParser.Outcome outcome = parser.parse(line);
    assertThat(outcome.rejection()).as("rejection of %s", line).isNull();
    assertThat(outcome.entry()).as("entry of %s", line).isNotNull();
    return outcome.entry();
  }

  String reason(AccessLogParser parser, String line) {
    AccessLogParser.Outcome outcome = parser.parse(line);
    assertThat(outcome.entry()).as("entry of %s", line).isNull();
    assertThat(outcome.rejection()).as("rejection of %s", line).isNotNull();
    assertThat(outcome.rejection().message()).isNotBlank();
    return outcome.rejection().reason();
  }

  @Test
  void aValidLineFillsEveryField() {
    assertThat(entry(VALID))
        .isEqualTo(
            AccessLogEntry.builder()
                .setIp("203.0.113.7")
                .setEventTime(Instant.parse("2015-05-17T10:05:03Z"))
                .setMethod("GET")
                .setPath("/presentations/logstash")
                .setQuery("page=2&q=a")
                .setProtocol("HTTP/1.1")
                .setStatus(200)
                .setBytes(7697)
                .setReferrer("http://semicomplete.com/")
                .setUserAgent("Mozilla/5.0 (X11; Linux x86_64)")
                .setBot(false)
                .build());
  }

  @Test
  void aTrailingCarriageReturnIsIgnored() {
    assertThat(entry(VALID + "\r")).isEqualTo(entry(VALID));
  }

  @Test
  void anOffsetIsAppliedToTheEventTime() {
    assertThat(entry(line("17/May/2015:12:05:03 +0200", "GET / HTTP/1.1", "200", "1", "x")).getEventTime())
        .isEqualTo(Instant.parse("2015-05-17T10:05:03Z"));
    assertThat(entry(line("31/Dec/2015:22:30:00 -0130", "GET / HTTP/1.1", "200", "1", "x")).getEventTime())
        .isEqualTo(Instant.parse("2016-01-01T00:00:00Z"));
  }

  @Test
  void escapedQuotesInQuotedFieldsAreUnescaped() {
    AccessLogEntry e = entry(
        "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET /say\\\"hi\\\" HTTP/1.1\" 200 5 "
            + "\"http://ref/\\\"x\\\"\" \"Mozilla \\\"quoted\\\" agent\"");
    assertThat(e.getPath()).isEqualTo("/say\"hi\"");
    assertThat(e.getReferrer()).isEqualTo("http://ref/\"x\"");
    assertThat(e.getUserAgent()).isEqualTo("Mozilla \"quoted\" agent");
  }

  @Test
  void aDashForBytesIsZeroAndDashReferrerAndAgentAreNull() {
    AccessLogEntry e = entry(line("17/May/2015:10:05:03 +0000", "GET / HTTP/1.1", "304", "-", "-"));
    assertThat(e.getBytes()).isZero();
    assertThat(e.getStatus()).isEqualTo(304);
    assertThat(e.getReferrer()).isNull();
    assertThat(e.getUserAgent()).isNull();
    assertThat(e.isBot()).isFalse();
  }

  @Test
  void thePathEndsAtTheFirstQuestionMark() {
    AccessLogEntry e = entry(line("17/May/2015:10:05:03 +0000", "POST /a/b?x=1?y=2 HTTP/2.0", "201", "0", "x"));
    assertThat(e.getMethod()).isEqualTo("POST");
    assertThat(e.getPath()).isEqualTo("/a/b");
    assertThat(e.getQuery()).isEqualTo("x=1?y=2");
    assertThat(e.getProtocol()).isEqualTo("HTTP/2.0");

    AccessLogEntry noQuery = entry(line("17/May/2015:10:05:03 +0000", "HEAD /a/b HTTP/1.0", "200", "0", "x"));
    assertThat(noQuery.getPath()).isEqualTo("/a/b");
    assertThat(noQuery.getQuery()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"-", "GET /only-two", "GET /a b HTTP/1.1", "GET  /a HTTP/1.1", "", "\\x16\\x03\\x01"})
  void aRequestNotOfThreePartsIsValidWithNullRequestFields(String request) {
    AccessLogEntry e = entry(line("17/May/2015:10:05:03 +0000", request, "408", "-", "x"));
    assertThat(e.getStatus()).isEqualTo(408);
    assertThat(e.getMethod()).isNull();
    assertThat(e.getPath()).isNull();
    assertThat(e.getQuery()).isNull();
    assertThat(e.getProtocol()).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) | true",
      "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp) | true",
      "Baiduspider+(+http://www.baidu.com/search/spider.htm) | true",
      "SomeCRAWLER/1.0 | true",
      "BOT | true",
      "SpIdEr | true",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 | false",
      "curl/8.5.0 | false",
      "b-o-t crawl spid slurr | false"})
  void aBotIsAUserAgentNamingBotCrawlerSpiderOrSlurpInAnyCase(String userAgent, boolean bot) {
    assertThat(entry(line("17/May/2015:10:05:03 +0000", "GET / HTTP/1.1", "200", "1", userAgent)).isBot())
        .isEqualTo(bot);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\r", "\t"})
  void blankLinesAreNeitherEntryNorRejection(String blank) {
    assertThat(parser.parse(blank).isBlank()).isTrue();
    assertThat(parser.parse(VALID).isBlank()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // truncated
      "203.0.113.7 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200",
      "203.0.113.7 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"Mozilla",
      // common format (no referrer and agent)
      "203.0.113.7 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5",
      // an unescaped quote inside a quoted field
      "203.0.113.7 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"a \"b\" c\"",
      // not a log line at all
      "{\"event_id\":\"e1\"}",
      "203.0.113.7 - - 17/May/2015:10:05:03 +0000 \"GET / HTTP/1.1\" 200 5 \"-\" \"x\""})
  void aLineNotInTheCombinedFormatIsMalformed(String line) {
    assertThat(reason(parser, line)).isEqualTo("malformed_log_line").isEqualTo(AccessLogParser.MALFORMED_LOG_LINE);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "31/Feb/2015:10:05:03 +0000",
      "29/Feb/2015:10:05:03 +0000",
      "17/Mai/2015:10:05:03 +0000",
      "17/May/2015:24:05:03 +0000",
      "17/May/2015:10:05:03",
      "2015-05-17T10:05:03Z"})
  void aTimeThatIsNoSuchDateIsABadTimestamp(String time) {
    assertThat(reason(parser, line(time, "GET / HTTP/1.1", "200", "1", "x"))).isEqualTo("bad_timestamp");
  }

  @Test
  void aLeapDayIsValid() {
    assertThat(entry(line("29/Feb/2016:10:05:03 +0000", "GET / HTTP/1.1", "200", "1", "x")).getEventTime())
        .isEqualTo(Instant.parse("2016-02-29T10:05:03Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"20", "2000", "2OO", "-", "+20"})
  void aStatusNotOfThreeDigitsIsBadStatus(String status) {
    assertThat(reason(parser, line("17/May/2015:10:05:03 +0000", "GET / HTTP/1.1", status, "1", "x")))
        .isEqualTo("bad_status");
  }

  @ParameterizedTest
  @ValueSource(strings = {"12k", "-1", "1.5", "--", "1234567890123456789"})
  void aSizeThatIsNotBytesOrDashIsBadBytes(String bytes) {
    assertThat(reason(parser, line("17/May/2015:10:05:03 +0000", "GET / HTTP/1.1", "200", bytes, "x")))
        .isEqualTo("bad_bytes");
  }

  @Test
  void theLargestSizeOfBytesIsAccepted() {
    assertThat(entry(line("17/May/2015:10:05:03 +0000", "GET / HTTP/1.1", "200", "999999999999999999", "x")).getBytes())
        .isEqualTo(999_999_999_999_999_999L);
  }

  @Test
  void aLineOverTheLimitInUtf8BytesIsTooLarge() {
    // 10 characters of 2 bytes each in the user agent: bytes exceed characters by 10.
    String line = line("17/May/2015:10:05:03 +0000", "GET / HTTP/1.1", "200", "1", "éééééééééé");
    int bytes = line.getBytes(StandardCharsets.UTF_8).length;
    assertThat(bytes).isEqualTo(line.length() + 10);

    assertThat(new AccessLogParser(bytes).parse(line).entry()).isNotNull();
    assertThat(reason(new AccessLogParser(bytes - 1), line)).isEqualTo("record_too_large");
    // Characters alone would fit: the limit is in bytes.
    assertThat(reason(new AccessLogParser(line.length()), line)).isEqualTo("record_too_large");
  }

  @Test
  void theEventTimeOfALineIsFoundBeforeParsing() {
    assertThat(AccessLogParser.eventTimeOf(VALID)).isEqualTo(Instant.parse("2015-05-17T10:05:03Z"));
    assertThat(AccessLogParser.eventTimeOf("no time here")).isNull();
    assertThat(AccessLogParser.eventTimeOf(line("31/Feb/2015:10:05:03 +0000", "GET / HTTP/1.1", "200", "1", "x")))
        .isNull();
  }
}
