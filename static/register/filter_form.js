/* A filter form marked data-omit-empty sends only the fields given a value: the API answers a parameter given
   empty with 400, as its schema forbids it, while a browser sends every field of a form, empty or not. */
(function () {
  "use strict";

  // formdata does not bubble: listened for while capturing, it is seen for every form of the page.
  document.addEventListener("formdata", function (event) {
    if (!event.target.matches("form[data-omit-empty]")) {
      return;
    }
    var data = event.formData;
    var kept = Array.from(data.entries()).filter(function (entry) {
      return entry[1] !== "";
    });
    Array.from(new Set(data.keys())).forEach(function (name) {
      data.delete(name);
    });
    kept.forEach(function (entry) {
      data.append(entry[0], entry[1]);
    });
  }, true);
})();
