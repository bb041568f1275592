// smtpteach's search scorer (html_search_scorer): Sphinx's default weights, and
// the pages in the reader's language first. The site holds every page in English
// and in Vietnamese; a reader searching from a Vietnamese page gets the
// Vietnamese pages first, then the English ones, and the reverse.
var Scorer = {
  score: (result) => {
    const [docname, , , , score] = result;
    const lang = (document.documentElement.lang || "en").split("-")[0];
    const pageLang = docname.startsWith("vi/") ? "vi" : "en";
    return pageLang === lang ? score : score - 1000;
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
