// Lighthouse over several pages with one Chromium (bench/lighthouse.py): starting Chromium and
// Lighthouse once instead of once per page. Prints one JSON line per page: {url, lhr} or {url, error}.
//   node bench/lighthouse_pages.mjs CATEGORIES CHROME_FLAGS mobile|desktop SETTLE_MS URL...
// mobile: Lighthouse's default emulation and throttling; desktop: its own desktop configuration.
// SETTLE_MS: how long the page must have been quiet (after FCP, after load, no network, no long
// task) before the run ends; "default" keeps Lighthouse's own (1 s each).
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import * as chromeLauncher from "chrome-launcher";

const [categories, chromeFlags, formFactor, settleMs, ...urls] = process.argv.slice(2);
const settle = settleMs === "default" ? {} : Object.fromEntries(
  ["pauseAfterFcpMs", "pauseAfterLoadMs", "networkQuietThresholdMs", "cpuQuietThresholdMs"].map((name) => [name, Number(settleMs)]),
);
const config = formFactor === "desktop" ? desktopConfig : undefined;
const chrome = await chromeLauncher.launch({ chromeFlags: chromeFlags.split(" "), chromePath: process.env.CHROME_PATH });
try {
  for (const url of urls) {
    try {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: "json",
        onlyCategories: categories.split(","),
        logLevel: "error",
        // Audits no category score weighs, and the most costly to gather: a navigation away and
        // back (bf-cache) and screenshots of the page. Skipping them changes no score.
        skipAudits: ["bf-cache", "screenshot-thumbnails", "final-screenshot"],
        disableFullPageScreenshot: true,
        ...settle,
      }, config);
      process.stdout.write(JSON.stringify({ url, lhr: result.lhr }) + "\n");
    } catch (error) {
      process.stdout.write(JSON.stringify({ url, error: String(error) }) + "\n");
    }
  }
} finally {
  chrome.kill();
}
