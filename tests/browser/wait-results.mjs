// The search page has finished a query and shows results: what the timing scripts wait for.
export async function resultsShown(page) {
  await page.waitForFunction(() => {
    const list = document.getElementById("search-results");
    return list && list.children.length > 0 && list.getAttribute("aria-busy") === "false";
  }, null, { timeout: 120000 });
}
