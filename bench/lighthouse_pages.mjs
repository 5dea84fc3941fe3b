// Lighthouse over several pages with one Chromium (bench/lighthouse.py): starting Chromium and
// Lighthouse once instead of once per page. Prints one JSON line per page: {url, lhr} or {url, error}.
//   node bench/lighthouse_pages.mjs CATEGORIES CHROME_FLAGS URL...
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const [categories, chromeFlags, ...urls] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({ chromeFlags: chromeFlags.split(" "), chromePath: process.env.CHROME_PATH });
try {
  for (const url of urls) {
    try {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: "json",
        onlyCategories: categories.split(","),
        logLevel: "error",
      });
      process.stdout.write(JSON.stringify({ url, lhr: result.lhr }) + "\n");
    } catch (error) {
      process.stdout.write(JSON.stringify({ url, error: String(error) }) + "\n");
    }
  }
} finally {
  chrome.kill();
}
