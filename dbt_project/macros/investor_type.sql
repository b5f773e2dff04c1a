{#-
    investor_type from general rules on the investor's name (no hand list of
    investors). First rule that matches wins:
      public        state money: Bpifrance, ministère/ministry, European Innovation
                    Council, Banque publique, Caisse des dépôts, France 2030 ...
      accelerator   Combinator, Accelerator/Accélérateur, Incubator/Incubateur, Techstars
      family_office "Family Office"
      bank          a bank: Banque, Bank
      cvc           "<X> Ventures/Capital/Investments" where <X> is itself a company or
                    an investor of the warehouse (`first_token_is_corporate`, a boolean
                    SQL expression): the venture arm of a corporate ("Intel Capital")
      vc            names ending in Ventures, Capital, Partners, VC, Investments, Fund(s),
                    Growth, Management, Equity, or containing "venture"
      corporate     a group (Groupe, Group, Holding, Industries, Corporation), or a name
                    the warehouse knows as a company or as the parent of an investment
                    arm (`is_corporate`: "Intel" beside "Intel Capital")
      angel         a person: two or three capitalised words, no organisation word
      NULL          otherwise (a brand alone, "Nvidia", "Accel", is not guessed)
-#}
{% macro investor_type(name, name_key, first_token_is_corporate, is_corporate='false') -%}
    case
        when regexp_matches(lower(strip_accents({{ name }})),
            '(bpifrance|\bbpi\b|minist|european innovation council|\beic\b|banque publique|caisse des depots|france 2030|\bgovernment\b|\bgouvernement\b|european investment (bank|fund)|\bbei\b|\bfei\b|\bregion\b)')
            then 'public'
        when regexp_matches(lower(strip_accents({{ name }})),
            '(combinator|accelerat|incubat|techstars|\bstartup studio\b)')
            then 'accelerator'
        when regexp_matches(lower(strip_accents({{ name }})), 'family office')
            then 'family_office'
        when regexp_matches(lower(strip_accents({{ name }})), '(\bbanque\b|\bbank\b)')
            then 'bank'
        when {{ first_token_is_corporate }}
            and regexp_matches({{ name_key }}, ' (ventures|venture|capital|investments|invest)$')
            then 'cvc'
        when regexp_matches(trim(regexp_replace(lower(strip_accents({{ name }})), '[^a-z0-9]+', ' ', 'g')),
            '( (ventures|capital|partners|vc|investments|investment|invest|fund|funds|growth|management|equity))$|venture|^vc ')
            then 'vc'
        when regexp_matches(lower(strip_accents({{ name }})), '\b(groupe|group|holding|industries|corporation)\b')
            or ({{ is_corporate }})
            then 'corporate'
        when regexp_matches({{ name }}, '^[A-ZÀ-Ý][a-zà-ÿ''-]+( [A-ZÀ-Ý][a-zà-ÿ''-]+){1,2}$')
            and not regexp_matches(lower(strip_accents({{ name }})),
                '\b(ai|ia|labs?|tech|technologies|group|holding|studio|global|growth|capital|ventures|partners|fund|management|media|systems|software|energy|health|bio|invest|investments|co)\b')
            then 'angel'
        else null
    end
{%- endmacro %}
