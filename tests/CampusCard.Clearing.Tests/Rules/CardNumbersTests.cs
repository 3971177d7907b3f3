using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Tests.Rules;

public class CardNumbersTests
{
    [Fact]
    public void A_made_number_is_twelve_digits_with_a_check_digit_and_the_same_for_the_same_seed()
    {
        var number = CardNumbers.Generate("open:2021001");

        Assert.Equal(CardNumbers.GeneratedLength, number.Length);
        Assert.Null(CardNumbers.Validate("card_no", number));
        Assert.True(CardNumbers.HasValidCheckDigit(number));
        Assert.Equal(number, CardNumbers.Generate("open:2021001"));
        Assert.NotEqual(number, CardNumbers.Generate("open:2021001", attempt: 1));
        Assert.NotEqual(number, CardNumbers.Generate("open:2021002"));
    }

    [Theory]
    [InlineData("20210015", null)]
    [InlineData("12345", "card_no must have 6 to 20 digits")]
    [InlineData("123456789012345678901", "card_no must have 6 to 20 digits")]
    [InlineData("12345a", "card_no may hold digits only")]
    [InlineData("", "card_no is required")]
    public void The_card_office_issues_numbers_of_six_to_twenty_digits(string number, string? message) =>
        Assert.Equal(message, CardNumbers.Validate("card_no", number)?.Message);

    [Fact]
    public void Numbers_that_differ_have_different_fingerprints() =>
        Assert.NotEqual(CardNumbers.Fingerprint("600000000001"), CardNumbers.Fingerprint("600000000010"));
}
