// Outputs glued into the text, such as a wide DataFrame, scroll sideways inside
// their own box (book.css). As the theme does for the outputs of code cells,
// such a box gets a tab stop while it scrolls, so that a keyboard can scroll it.
(() => {
  const giveTabStops = () => {
    for (const box of document.querySelectorAll(".bd-article div.output.text_html")) {
      box.tabIndex = box.scrollWidth > box.clientWidth ? 0 : -1;
    }
  };
  window.addEventListener("load", giveTabStops);
  window.addEventListener("resize", giveTabStops);
})();
