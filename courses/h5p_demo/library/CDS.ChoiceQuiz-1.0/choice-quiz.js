/* CDS.ChoiceQuiz 1.0 (constructor CDS.ChoiceQuiz): single-choice questions from content.json; reports the score over xAPI
 * when every question is answered.
 * params: {
 *   intro: string, resultText: "Đúng :score/:total câu", correctText, wrongText,
 *   questions: [{text: string, answers: [string, ...], correct: index}]
 * }
 */
// H5P core finds the constructor from the machine name: window.CDS.ChoiceQuiz.
var CDS = window.CDS = window.CDS || {};

CDS.ChoiceQuiz = (function ($, EventDispatcher) {
  function ChoiceQuiz(params, contentId) {
    EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
    this.questions = Array.isArray(this.params.questions) ? this.params.questions : [];
    this.chosen = {};
    this.score = 0;
  }

  ChoiceQuiz.prototype = Object.create(EventDispatcher.prototype);
  ChoiceQuiz.prototype.constructor = ChoiceQuiz;

  ChoiceQuiz.prototype.getScore = function () {
    return this.score;
  };

  ChoiceQuiz.prototype.getMaxScore = function () {
    return this.questions.length;
  };

  ChoiceQuiz.prototype.attach = function ($container) {
    var self = this;
    var root = document.createElement("div");
    root.className = "cds-quiz";
    if (self.params.intro) {
      var intro = document.createElement("p");
      intro.textContent = self.params.intro;
      root.appendChild(intro);
    }
    self.questions.forEach(function (question, index) {
      var block = document.createElement("div");
      block.className = "cds-quiz__question";
      var text = document.createElement("p");
      text.className = "cds-quiz__text";
      text.textContent = (index + 1) + ". " + question.text;
      block.appendChild(text);
      var answers = document.createElement("div");
      answers.className = "cds-quiz__answers";
      var feedback = document.createElement("p");
      feedback.className = "cds-quiz__feedback";
      feedback.setAttribute("aria-live", "polite");
      (question.answers || []).forEach(function (label, choice) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "cds-quiz__answer";
        button.textContent = label;
        button.setAttribute("data-question", String(index));
        button.setAttribute("data-choice", String(choice));
        button.addEventListener("click", function () {
          self.answer(index, choice, answers, feedback, button);
        });
        answers.appendChild(button);
      });
      block.appendChild(answers);
      block.appendChild(feedback);
      root.appendChild(block);
    });
    self.result = document.createElement("p");
    self.result.className = "cds-quiz__result";
    self.result.setAttribute("aria-live", "polite");
    root.appendChild(self.result);
    $container.addClass("h5p-cds-choice-quiz");
    $container.get(0).appendChild(root);
    self.setActivityStarted && self.setActivityStarted();
  };

  ChoiceQuiz.prototype.answer = function (index, choice, answers, feedback, button) {
    if (Object.prototype.hasOwnProperty.call(this.chosen, index)) {
      return;
    }
    var question = this.questions[index];
    var correct = choice === question.correct;
    this.chosen[index] = choice;
    if (correct) {
      this.score += 1;
    }
    Array.prototype.forEach.call(answers.querySelectorAll("button"), function (other) {
      other.disabled = true;
    });
    button.classList.add("cds-quiz__answer--chosen");
    feedback.textContent = correct
      ? this.params.correctText || "Correct"
      : this.params.wrongText || "Incorrect";
    this.trigger("resize");
    if (Object.keys(this.chosen).length === this.questions.length) {
      this.finish();
    }
  };

  ChoiceQuiz.prototype.finish = function () {
    var total = this.getMaxScore();
    var template = this.params.resultText || ":score/:total";
    this.result.textContent = template.replace(":score", this.score).replace(":total", total);
    // 'answered' carries the score; 'completed' closes the attempt for LMS-style listeners.
    this.triggerXAPIScored(this.score, total, "answered", true, this.score === total);
    this.triggerXAPIScored(this.score, total, "completed", true, this.score === total);
  };

  return ChoiceQuiz;
})(H5P.jQuery, H5P.EventDispatcher);
