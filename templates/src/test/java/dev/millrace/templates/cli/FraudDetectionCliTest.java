package dev.millrace.templates.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fraud-detection as a user meets it: generate a data set, run on it, query and report, bad parameters. */
class FraudDetectionCliTest extends CliTestBase {
  @Test
  void generateRunQueryAndReport(@TempDir Path dir) throws Exception {
    Path txns = dir.resolve("transactions.jsonl.gz");
    Path accounts = dir.resolve("accounts.jsonl");
    assertThat(run("generate", "--template=fraud-detection", "--file=" + txns, "--accountsFile=" + accounts,
        "--maxEvents=3000", "--rate=20", "--syntheticAccounts=300", "--malformedFraction=0.01")).as(err()).isZero();
    assertThat(out()).contains("wrote 300 accounts to " + accounts).contains("transaction records (3,000 positions)");
    assertThat(Files.readAllLines(accounts)).hasSize(300);

    Path output = dir.resolve("out");
    assertThat(run("run", "fraud-detection", "--source=file", "--input=" + txns, "--accounts=" + accounts,
        "--output=" + output)).as(err()).isZero();
    assertThat(out()).contains("Run summary: fraud-detection, DONE").contains("scored by the fraud rules")
        .containsPattern("alerts rows +[1-9][0-9,]* +in 1 file").contains("OK; parsed");

    assertThat(run("query", "--output=" + output, "--format=csv",
        "SELECT reason, count(*) AS n FROM (SELECT unnest(reasons) AS reason FROM alerts) GROUP BY 1 ORDER BY 1"))
        .as(err()).isZero();
    assertThat(out()).startsWith("reason,n\n").contains("amount_spike,").contains("foreign_country,")
        .contains("new_merchant_category,").contains("unknown_account,").contains("velocity,");

    Path html = dir.resolve("fraud-report.html");
    assertThat(run("report", "--output=" + output, "--html=" + html)).as(err()).isZero();
    String dom = Chromium.dumpDom(html);
    assertThat(dom)
        .containsPattern("data-key=\"alerts_per_window\"[^>]*><svg[^>]*data-rendered=\"true\"")
        .containsPattern("data-key=\"alerts_by_reason\"[^>]*><svg[^>]*data-rendered=\"true\"");
  }

  @Test
  void everyProblemWithTheParametersAtOnce(@TempDir Path dir) {
    assertThat(run("run", "fraud-detection", "--source=file", "--input=" + dir + "/none*.jsonl", "--velocityCount=0",
        "--referenceRefresh=500ms", "--velocityWindow=soon")).isEqualTo(2);
    assertThat(err())
        .contains("--input: no file matches")
        .contains("--accounts: required with --source=file")
        .contains("--velocityCount: must match [1-9][0-9]*")
        .contains("--referenceRefresh: must be at least 1s")
        .contains("--velocityWindow: must match")
        .doesNotContain("\tat ");
    assertThat(run("run", "fraud-detection", "--accounts=" + dir + "/missing.parquet", "--maxEvents=10")).isEqualTo(2);
    assertThat(err()).contains("--accounts: no file matches");
  }

  @Test
  void aBadAccountTableFailsTheBoundedRunWithWhereAndWhy(@TempDir Path dir) throws Exception {
    Path accounts = dir.resolve("accounts.jsonl");
    Files.writeString(accounts, "{\"account_id\":\"a1\",\"home_country\":\"DE\"}\n");
    int code = run("run", "fraud-detection", "--maxEvents=100", "--accounts=" + accounts, "--output=" + dir.resolve("o"));
    assertThat(code).isNotZero();
    assertThat(err()).contains("accounts.jsonl:1: required field 'avg_amount_90d' is missing");
  }
}
