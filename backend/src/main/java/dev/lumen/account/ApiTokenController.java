package dev.lumen.account;

import java.security.Principal;
import java.util.EnumSet;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A logged-in user lists, creates and revokes their personal API tokens ({@code /account/tokens}). A new token is
 * shown once, on the page that follows its creation; afterwards only its prefix is.
 */
@Controller
class ApiTokenController {

	private static final String REDIRECT = "redirect:/account/tokens";

	private final ApiTokens tokens;

	ApiTokenController(ApiTokens tokens) {
		this.tokens = tokens;
	}

	@GetMapping("/account/tokens")
	String showTokens(Principal principal, Model page) {
		page.addAttribute("tokens", this.tokens.list(principal.getName()));
		return "account/tokens";
	}

	@PostMapping("/account/tokens")
	String processCreateForm(@RequestParam String name, @RequestParam(required = false) List<String> scope,
			Principal principal, RedirectAttributes redirect) {
		try {
			EnumSet<ApiTokenScope> scopes = EnumSet.of(ApiTokenScope.READ);
			if (scope != null) {
				scope.forEach(s -> scopes.add(ApiTokenScope.parse(s)));
			}
			ApiTokens.Created created = this.tokens.create(principal.getName(), name, scopes);
			redirect.addFlashAttribute("created", created);
		}
		catch (IllegalArgumentException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return REDIRECT;
	}

	@PostMapping("/account/tokens/{id}/revoke")
	String processRevoke(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
		if (this.tokens.revoke(principal.getName(), id)) {
			redirect.addFlashAttribute("message", "Token #" + id + " revoked; it no longer authenticates.");
		}
		else {
			redirect.addFlashAttribute("error", "You have no unrevoked token #" + id + ".");
		}
		return REDIRECT;
	}
}
