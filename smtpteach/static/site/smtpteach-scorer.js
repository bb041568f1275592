// smtpteach's search scorer (html_search_scorer), on top of Sphinx's default weights,
// ranking as `smtpteach search` does (see smtpteach/sphinx/_search.py):
// - the pages in the reader's language first: the site holds every page in English
//   and in Vietnamese, and a reader searching from a Vietnamese page gets the
//   Vietnamese pages first, then the English ones, and the reverse;
// - then a page whose title holds every word of the query ("hộp thư đầy" finds the
//   code named "Hộp thư đầy");
// - and the code pages above pages that merely mention the words, the more so when
//   their name and description hold the words as a phrase, or every one of them.
// Words are compared as the index stores them: lowercase, no diacritics.
// A page opened from disk (file://) may not fetch() another file, which is how Sphinx's search reads each page it
// found for the line of context under its link: there, the results are listed without that line, not with an error
// for each page found (a newcomer's review: 170 errors for one search).
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}

var Scorer = {
  score: (result) => {
    const [docname, title, , , score] = result;
    const fold = (text) => String(text || "").toLowerCase().normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").replace(/\u0111/g, "d");
    const lang = (document.documentElement.lang || "en").split("-")[0];
    const pageLang = docname.startsWith("vi/") ? "vi" : "en";
    let total = score + (pageLang === lang ? 0 : -1000);
    const words = fold(new URLSearchParams(window.location.search).get("q")).split(/\s+/).filter(Boolean);
    if (!words.length) return total;
    const heading = fold(title);
    if (words.every((word) => heading.includes(word))) total += 30;
    const known = typeof SMTPTEACH_CODE_WORDS === "undefined" ? undefined : SMTPTEACH_CODE_WORDS[docname];
    if (known !== undefined) {
      // a code page: above pages that merely mention the words, and more so when its
      // name and description hold them as a phrase, or every one of them (each word
      // at the start of a word there, as the index matches words: "block" finds "blocked")
      total += 20;
      const padded = ` ${known} `;
      const own = known.split(" ");
      if (words.length > 1 && padded.includes(` ${words.join(" ")} `)) total += 40;
      else if (words.every((word) => own.some((w) => w.startsWith(word)))) total += 15;
    }
    return total;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
