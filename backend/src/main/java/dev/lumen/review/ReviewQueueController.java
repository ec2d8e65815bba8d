package dev.lumen.review;

import dev.lumen.account.AppUserRepository;
import dev.lumen.catalog.CatalogSaeRepository;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The review queue ({@code /review}) and one flag's page, where reviewers move it through its states,
 * assign it, change its severity and comment. Conflicting edits get 409 and the page with the current flag.
 */
@Controller
class ReviewQueueController {

	private static final String VIEW_QUEUE = "review/queue";

	private static final String VIEW_FLAG = "review/flag";

	private final ReviewQueries queries;

	private final FlagService flags;

	private final AppUserRepository users;

	private final CatalogSaeRepository saes;

	ReviewQueueController(ReviewQueries queries, FlagService flags, AppUserRepository users, CatalogSaeRepository saes) {
		this.queries = queries;
		this.flags = flags;
		this.users = users;
		this.saes = saes;
	}

	@GetMapping("/review")
	String listFlags(@ModelAttribute("filter") QueueFilter filter, Model page) {
		List<FlagView> flags = this.queries.queue(filter);
		page.addAttribute("flags", flags);
		page.addAttribute("truncated", flags.size() == ReviewQueries.MAX_ROWS);
		page.addAttribute("categories", FlagCategory.values());
		page.addAttribute("severities", Severity.values());
		page.addAttribute("states", FlagState.values());
		page.addAttribute("saes", this.saes.findAll());
		page.addAttribute("reviewers", this.users.findAssignable());
		return VIEW_QUEUE;
	}

	@GetMapping("/review/flags/{id}")
	String showFlag(@PathVariable long id, Model page) {
		return flagPage(id, page);
	}

	@PostMapping("/review/flags/{id}/transition")
	String processTransition(@PathVariable long id, @RequestParam long version, @RequestParam FlagState state,
			@RequestParam(defaultValue = "") String rationale, Principal principal, Model page, HttpServletResponse response) {
		return change(id, page, response, () -> this.flags.transition(principal.getName(), id, version, state, rationale));
	}

	@PostMapping("/review/flags/{id}/assign")
	String processAssign(@PathVariable long id, @RequestParam long version, @RequestParam(defaultValue = "") String assignee,
			Principal principal, Model page, HttpServletResponse response) {
		return change(id, page, response, () -> this.flags.assign(principal.getName(), id, version, assignee));
	}

	@PostMapping("/review/flags/{id}/severity")
	String processSeverity(@PathVariable long id, @RequestParam long version, @RequestParam Severity severity,
			Principal principal, Model page, HttpServletResponse response) {
		return change(id, page, response, () -> this.flags.changeSeverity(principal.getName(), id, version, severity));
	}

	@PostMapping("/review/flags/{id}/comments")
	String processComment(@PathVariable long id, @RequestParam(defaultValue = "") String body, Principal principal,
			Model page, HttpServletResponse response) {
		return change(id, page, response, () -> this.flags.comment(principal.getName(), id, body));
	}

	/** Applies a change and redirects to the flag (post/redirect/get), or shows why it was refused. */
	private String change(long id, Model page, HttpServletResponse response, Runnable action) {
		try {
			action.run();
			return "redirect:/review/flags/" + id;
		}
		catch (FlagConflictException ex) {
			response.setStatus(HttpServletResponse.SC_CONFLICT);
			page.addAttribute("error", ex.getMessage());
		}
		catch (IllegalArgumentException ex) {
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			page.addAttribute("error", ex.getMessage());
		}
		return flagPage(id, page);
	}

	private String flagPage(long id, Model page) {
		FlagView flag = this.queries.flag(id).orElseThrow(() -> new ReviewNotFoundException("No flag #" + id));
		page.addAttribute("flag", flag);
		page.addAttribute("comments", this.queries.comments(id));
		page.addAttribute("reviewers", this.users.findAssignable());
		page.addAttribute("severities", Severity.values());
		return VIEW_FLAG;
	}
}
