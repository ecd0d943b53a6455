// Prints one plain closing line, "e2e: N passed, N failed, N skipped", after Playwright's own output,
// so that CI logs end with a test count any reader (human or tool) understands.

export default class SummaryReporter {
  constructor() {
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
  }

  printsToStdio() {
    return false; // let the list reporter own the terminal
  }

  onTestEnd(test, result) {
    // Count a test once, by its final outcome (after retries).
    if (result.retry < test.retries && result.status !== "passed" && result.status !== "skipped") return;
    const outcome = test.outcome();
    if (outcome === "expected" || outcome === "flaky") this.passed += 1;
    else if (outcome === "skipped") this.skipped += 1;
    else this.failed += 1;
  }

  onEnd() {
    if (process.argv.includes("--list")) return;
    console.log(`e2e: ${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped`);
  }
}
